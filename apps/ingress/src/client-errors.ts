import { Server } from 'node:http';
import { Socket } from 'node:net';
import { ScimError } from '@scimflow/scim';
import { SCIM_CONTENT_TYPE } from './scim/scim-exception.filter';

const REASONS: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' };

/**
 * The answer to a request Node's HTTP parser refused before any handler saw it (headers over the 16 KiB limit, a
 * malformed request line): a SCIM error body, like every other answer, instead of Node's bare status line.
 */
export function parserErrorResponse(code: string | undefined): string {
  const status = code === 'HPE_HEADER_OVERFLOW' ? 431 : code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const detail =
    status === 431
      ? 'The request line and headers are larger than this server accepts (16 KiB): shorten the URL (e.g. a long filter: use POST .search) or the headers'
      : status === 408
        ? 'The request was not received in time'
        : 'The request is not valid HTTP';
  const body = JSON.stringify(new ScimError(status, detail, status === 400 ? 'invalidSyntax' : undefined).toBody());
  return `HTTP/1.1 ${status} ${REASONS[status]}\r\nContent-Type: ${SCIM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

export function answerParserErrors(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    // a peer that went away gets nothing; anyone else an answer it can read
    if (err.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    socket.end(parserErrorResponse(err.code));
  });
}
