import { Context, context, propagation, Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, SimpleSpanProcessor, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

const state = globalThis as { __scimflowTracing?: { context: boolean; provider: boolean } };

/**
 * W3C trace context is always propagated (HTTP request → command headers → event headers → webhook),
 * so a caller's trace continues through scimflow even when we record nothing. Spans are recorded and
 * exported when OTEL_EXPORTER_OTLP_ENDPOINT is set (OTLP/HTTP), or to the exporter given (tests).
 */
export function startTracing(service: string, exporter?: SpanExporter): void {
  const s = (state.__scimflowTracing ??= { context: false, provider: false });
  if (!s.context) {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    s.context = true;
  }
  if (!s.provider && (exporter || process.env.OTEL_EXPORTER_OTLP_ENDPOINT)) {
    const provider = new NodeTracerProvider({
      resource: resourceFromAttributes({ 'service.name': process.env.OTEL_SERVICE_NAME ?? service }),
      spanProcessors: [exporter ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(new OTLPTraceExporter())],
    });
    trace.setGlobalTracerProvider(provider);
    s.provider = true;
  }
}

export const tracer = () => trace.getTracer('scimflow');

/** Adds `traceparent` (and `tracestate`) of the active or given context to a header map. */
export function injectTraceHeaders(headers: Record<string, string> = {}, ctx: Context = context.active()): Record<string, string> {
  propagation.inject(ctx, headers);
  return headers;
}

export function extractTraceContext(headers: Record<string, string | string[] | undefined>): Context {
  return propagation.extract(context.active(), headers);
}

/** Runs `work` inside a new active span, child of `parent`; failures are recorded on the span and rethrown. */
export function inSpan<T>(
  name: string,
  kind: SpanKind,
  parent: Context,
  attributes: Record<string, string | number>,
  work: (span: Span) => Promise<T>,
): Promise<T> {
  return tracer().startActiveSpan(name, { kind, attributes }, parent, async (span) => {
    try {
      return await work(span);
    } catch (e) {
      span.recordException(e as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (e as Error).message });
      throw e;
    } finally {
      span.end();
    }
  });
}

export { SpanKind };
