import type { Request, Response } from 'express';
import type { PortalContext } from '../portal-context.js';
import { parsePhpQuery } from '../php-query.js';
import { redeemRefreshToken, tokenResponse } from '../auth/oauth-tokens.js';
import type { RequestLog } from './request-log.js';
import { sameSecret } from './resolve-caller.js';

/**
 * `GET|POST /oauth/token/?grant_type=refresh_token&client_id&client_secret&refresh_token`
 * (docs: GET, SDK: form POST). The spent refresh token dies (reference §1); errors use the
 * OAuth codes of api-reference/oauth/error-codes.md.
 */
export function createOAuthTokenHandler(portal: PortalContext, log: RequestLog) {
  return (req: Request, res: Response): void => {
    const [pathname, rawQuery = ''] = req.originalUrl.split(/\?(.*)/s, 2);
    const entry = log.begin({ at: Date.now(), httpMethod: req.method, path: pathname });
    entry.method = 'oauth.token';
    const body = typeof req.body === 'string' ? req.body : '';
    const params = { ...parsePhpQuery(rawQuery), ...parseBody(body) };
    const reply = (status: number, payload: Record<string, unknown>) => {
      entry.status = status;
      entry.error = typeof payload.error === 'string' ? payload.error : null;
      res.status(status).type('application/json; charset=utf-8').send(JSON.stringify(payload));
    };
    if (params.grant_type !== 'refresh_token') {
      return reply(400, { error: 'invalid_request', error_description: 'Only grant_type=refresh_token is simulated' });
    }
    const app = typeof params.client_id === 'string' ? portal.state.auth.apps.get(params.client_id) : undefined;
    if (!app || typeof params.client_secret !== 'string' || !sameSecret(params.client_secret, app.clientSecret)) {
      return reply(401, { error: 'invalid_client', error_description: 'Invalid client credentials' });
    }
    const pair = typeof params.refresh_token === 'string' ? redeemRefreshToken(portal, params.refresh_token, app) : null;
    if (!pair) return reply(400, { error: 'invalid_grant', error_description: 'Invalid refresh token' });
    entry.userId = pair.access.userId;
    reply(200, tokenResponse(portal, app, pair));
  };
}

function parseBody(body: string): Record<string, unknown> {
  const trimmed = body.trim();
  if (!trimmed) return {};
  if (trimmed.startsWith('{')) {
    try {
      return JSON.parse(trimmed) as Record<string, unknown>;
    } catch {
      return {};
    }
  }
  return parsePhpQuery(trimmed);
}
