import { DynamicModule, Global, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { LoggingSettings } from '@scimflow/config';
import { logDestination, loggingParams, Metrics, Readiness } from '@scimflow/observability';
import { EndpointsController } from './endpoints.controller';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import { HttpTracingMiddleware } from './http-tracing.middleware';
import { ReadinessController } from './readiness.controller';

/** Logs, metrics, liveness and readiness for one app: /healthz, /readyz, /metrics on its HTTP port. */
@Global()
@Module({})
export class ObservabilityModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpTracingMiddleware, HttpMetricsMiddleware).forRoutes('*');
  }

  static forApp(app: string, options: { httpLogs: boolean }): DynamicModule {
    return {
      module: ObservabilityModule,
      imports: [
        TerminusModule.forRoot({ logger: false }),
        LoggerModule.forRootAsync({
          inject: [LoggingSettings],
          useFactory: (config: LoggingSettings) => {
            const params = loggingParams(app, config.LOG_LEVEL, options.httpLogs);
            return { ...params, pinoHttp: [params.pinoHttp as object, logDestination()] };
          },
        }),
      ],
      controllers: [EndpointsController, ReadinessController],
      providers: [{ provide: Metrics, useValue: new Metrics(app) }, Readiness],
      exports: [Metrics, Readiness],
    };
  }
}
