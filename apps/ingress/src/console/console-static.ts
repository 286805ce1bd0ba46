import { NextFunction, Request, Response } from 'express';
import { readFileSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { ScimError } from '@scimflow/scim';

/** The console's security headers: its own scripts and styles only (no inline ones), never framed, no referrer. */
export const CONSOLE_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'self'; img-src 'self' data: https:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export type ConsoleAnswer =
  /** not the console's (its API, or not under /console): the next handler answers */
  { kind: 'pass' } | { kind: 'file'; path: string; contentType: string; cacheControl: string } | { kind: 'not-built' } | { kind: 'not-found' };

/**
 * What a GET under /console answers, from the files in `root` (dist/console): a file under assets/, else index.html
 * for every other path (the app routes on location.pathname). A missing asset is 404, not the page. Nothing outside
 * `root`/assets but index.html is ever served.
 */
export function consoleAnswer(root: string, urlPath: string): ConsoleAnswer {
  if (urlPath !== '/console' && !urlPath.startsWith('/console/')) return { kind: 'pass' };
  if (urlPath === '/console/api' || urlPath.startsWith('/console/api/')) return { kind: 'pass' };
  const base = resolve(root);
  const index = join(base, 'index.html');
  if (!isFile(index)) return { kind: 'not-built' };
  const rest = urlPath.slice('/console'.length).replace(/^\/+/, '');
  if (rest === 'assets' || rest.startsWith('assets/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(rest);
    } catch {
      return { kind: 'not-found' };
    }
    const file = resolve(base, decoded);
    if (!file.startsWith(join(base, 'assets') + sep) || decoded.includes('\0') || !isFile(file)) return { kind: 'not-found' };
    return { kind: 'file', path: file, contentType: TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream', cacheControl: 'no-cache' };
  }
  return { kind: 'file', path: index, contentType: TYPES['.html'], cacheControl: 'no-store' };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Express middleware serving the built console from `root` (see consoleAnswer); errors are SCIM error bodies. */
export function serveConsole(root: string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const answer = consoleAnswer(root, req.path);
    if (answer.kind === 'pass') return next();
    if (answer.kind === 'not-built') return next(ScimError.notFound('The console was not built: run npm run build (it writes dist/console)'));
    if (answer.kind === 'not-found') return next(ScimError.notFound(`${req.path} not found`));
    for (const [name, value] of Object.entries(CONSOLE_HEADERS)) res.setHeader(name, value);
    res.setHeader('Cache-Control', answer.cacheControl);
    res.setHeader('Content-Type', answer.contentType);
    const body = readFileSync(answer.path);
    res.setHeader('Content-Length', String(body.length));
    res.status(200).end(req.method === 'HEAD' ? undefined : body);
  };
}
