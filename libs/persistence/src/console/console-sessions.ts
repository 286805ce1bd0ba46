import { DataSource } from 'typeorm';

export interface ConsoleSession {
  id: string;
  csrfToken: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

export interface NewConsoleSession {
  /** SHA-256 of the cookie value (the value itself is never stored) */
  cookieHash: string;
  csrfToken: string;
  expiresAt: Date;
}

/** A day past expiry, a session row is of no use even to an investigation of a sign-in; they are deleted then. */
const KEEP_AFTER_EXPIRY = '1 day';

/** Operator sessions of the console (table console_sessions), looked up by the hash of their cookie. */
export class ConsoleSessions {
  constructor(private readonly ds: DataSource) {}

  async create(s: NewConsoleSession): Promise<ConsoleSession> {
    await this.ds.query(`DELETE FROM console_sessions WHERE expires_at < now() - interval '${KEEP_AFTER_EXPIRY}'`);
    const rows: Record<string, unknown>[] = await this.ds.query(
      `INSERT INTO console_sessions (cookie_hash, csrf_token, expires_at) VALUES ($1, $2, $3)
       RETURNING id::text, csrf_token, created_at, expires_at, revoked_at`,
      [s.cookieHash, s.csrfToken, s.expiresAt],
    );
    return toSession(rows[0]);
  }

  /** The session of this cookie hash, live or not (the caller judges expiry and revocation). */
  async find(cookieHash: string): Promise<ConsoleSession | undefined> {
    const rows: Record<string, unknown>[] = await this.ds.query(
      `SELECT id::text, csrf_token, created_at, expires_at, revoked_at FROM console_sessions WHERE cookie_hash = $1`,
      [cookieHash],
    );
    return rows.length ? toSession(rows[0]) : undefined;
  }

  /** Revokes the session; false if there is no such unrevoked session. */
  async revoke(cookieHash: string): Promise<boolean> {
    // in a CTE: TypeORM answers a bare UPDATE … RETURNING with [rows, count]
    const rows: unknown[] = await this.ds.query(
      `WITH revoked AS (UPDATE console_sessions SET revoked_at = now() WHERE cookie_hash = $1 AND revoked_at IS NULL RETURNING id) SELECT id FROM revoked`,
      [cookieHash],
    );
    return rows.length > 0;
  }
}

function toSession(r: Record<string, unknown>): ConsoleSession {
  return {
    id: r.id as string,
    csrfToken: r.csrf_token as string,
    createdAt: r.created_at as Date,
    expiresAt: r.expires_at as Date,
    revokedAt: (r.revoked_at as Date | null) ?? null,
  };
}
