import { Body, Controller, Delete, Get, HttpCode, Post, Req, Res, UsePipes } from '@nestjs/common';
import { ApiCookieAuth, ApiDefaultResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { Request, Response } from 'express';
import { CSRF_HEADER, csrfMatches } from '@scimflow/access';
import type { ConsoleSessionView } from '@scimflow/contracts';
import { ScimError } from '@scimflow/scim';
import { ADMIN_VALIDATION } from '../admin/admin-controller';
import { ErrorSchema } from '../admin/admin.schemas';
import { OperatorSessions } from './operator-sessions';

export class SignInDto {
  @ApiProperty({ description: "the ingress's ADMIN_TOKEN" }) @IsString() @MaxLength(1024) adminToken: string;
}

export class ConsoleSessionSchema implements ConsoleSessionView {
  @ApiProperty({ description: 'send it as X-CSRF-Token on every admin request but GET and HEAD' }) csrfToken: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
}

/**
 * The console's operator sign-in: ADMIN_TOKEN exchanged for a session cookie (HttpOnly, SameSite=Strict) that the
 * whole admin API accepts. Not behind AdminGuard: these routes are how the credential is obtained and ended.
 */
@ApiTags('console session')
@ApiDefaultResponse({ type: ErrorSchema, description: 'SCIM error body (401 wrong admin token or no session, 403 missing CSRF token, 503 admin API disabled)' })
@Controller('console/api/session')
@UsePipes(ADMIN_VALIDATION)
export class ConsoleSessionController {
  constructor(private readonly sessions: OperatorSessions) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: "Sign in: sets the scimflow_console cookie and answers the session's CSRF token" })
  @ApiOkResponse({ type: ConsoleSessionSchema })
  async signIn(@Body() body: SignInDto, @Res({ passthrough: true }) res: Response): Promise<ConsoleSessionSchema> {
    const signed = await this.sessions.signIn(body.adminToken);
    res.setHeader('Set-Cookie', signed.setCookie);
    res.setHeader('Cache-Control', 'no-store');
    return { csrfToken: signed.csrfToken, expiresAt: signed.expiresAt.toISOString() };
  }

  @Get()
  @ApiCookieAuth('scimflow_console')
  @ApiOperation({ summary: 'The current session (401 without a live one)' })
  @ApiOkResponse({ type: ConsoleSessionSchema })
  async current(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<ConsoleSessionSchema> {
    this.sessions.adminToken();
    const session = await this.sessions.current(req);
    if (!session) throw new ScimError(401, 'Not signed in to the console');
    res.setHeader('Cache-Control', 'no-store');
    return { csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString() };
  }

  @Delete()
  @HttpCode(204)
  @ApiCookieAuth('scimflow_console')
  @ApiOperation({ summary: 'Sign out (X-CSRF-Token required): the session is revoked server-side and the cookie cleared' })
  @ApiNoContentResponse()
  async signOut(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    this.sessions.adminToken();
    const session = await this.sessions.current(req);
    if (!session) throw new ScimError(401, 'Not signed in to the console');
    if (!csrfMatches(req.headers[CSRF_HEADER], session.csrfToken)) throw new ScimError(403, "Signing out needs the session's CSRF token in X-CSRF-Token");
    await this.sessions.signOut(req);
    res.setHeader('Set-Cookie', this.sessions.clearCookie());
  }
}
