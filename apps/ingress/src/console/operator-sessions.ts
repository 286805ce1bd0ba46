import { Injectable } from '@nestjs/common';
import { Request } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { clearedSessionCookie, issueSession, readCookie, SESSION_COOKIE, sessionCookie, sessionCookieHash, sessionIsLive } from '@scimflow/access';
import { IngressConfig } from '@scimflow/config';
import { ConsoleSession, ConsoleSessions } from '@scimflow/persistence';
import { ScimError } from '@scimflow/scim';

const digest = (s: string) => createHash('sha256').update(s).digest();

export interface SignedIn {
  setCookie: string;
  csrfToken: string;
  expiresAt: Date;
}

/** The console's operator sessions: ADMIN_TOKEN exchanged for an HttpOnly cookie, looked up server-side on each request. */
@Injectable()
export class OperatorSessions {
  constructor(
    private readonly config: IngressConfig,
    private readonly sessions: ConsoleSessions,
  ) {}

  /** The admin token, or 503 while the admin API is off (no ADMIN_TOKEN). */
  adminToken(): string {
    const token = this.config.ADMIN_TOKEN;
    if (!token) throw new ScimError(503, 'The admin API is disabled: set ADMIN_TOKEN (at least 32 characters) on the ingress to enable it');
    return token;
  }

  /** Constant time, and the expected token's length is not revealed. */
  isAdminToken(presented: string): boolean {
    return timingSafeEqual(digest(presented), digest(this.adminToken()));
  }

  async signIn(presentedAdminToken: string, now = new Date()): Promise<SignedIn> {
    if (!this.isAdminToken(presentedAdminToken)) throw new ScimError(401, 'Wrong admin token');
    const ttl = this.config.CONSOLE_SESSION_TTL_SECONDS;
    const issued = issueSession(now, ttl, this.adminToken());
    await this.sessions.create({ cookieHash: issued.cookieHash, csrfToken: issued.csrfToken, expiresAt: issued.expiresAt });
    return { setCookie: sessionCookie(issued.cookieValue, ttl, this.cookieOptions()), csrfToken: issued.csrfToken, expiresAt: issued.expiresAt };
  }

  hasCookie(req: Request): boolean {
    return readCookie(req.headers.cookie, SESSION_COOKIE) !== undefined;
  }

  /** The live session of the request's cookie; undefined without one, or when it expired or was revoked. */
  async current(req: Request, now = new Date()): Promise<ConsoleSession | undefined> {
    const hash = this.cookieHash(req);
    if (!hash) return undefined;
    const session = await this.sessions.find(hash);
    return sessionIsLive(session, now) ? session : undefined;
  }

  async signOut(req: Request): Promise<void> {
    const hash = this.cookieHash(req);
    if (hash) await this.sessions.revoke(hash);
  }

  clearCookie(): string {
    return clearedSessionCookie(this.cookieOptions());
  }

  private cookieHash(req: Request): string | undefined {
    const value = readCookie(req.headers.cookie, SESSION_COOKIE);
    return value ? sessionCookieHash(value, this.adminToken()) : undefined;
  }

  private cookieOptions() {
    return { secure: this.config.PUBLIC_BASE_URL.toLowerCase().startsWith('https:') };
  }
}
