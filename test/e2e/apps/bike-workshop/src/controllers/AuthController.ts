import type { AppContext } from '../types/state';
import { AuthError, AuthService } from '../services/AuthService';
import { LoginThrottle } from '../services/LoginThrottle';
import { SESSION_COOKIE } from '../middleware/session';

interface Credentials {
  email?: string;
  name?: string;
  password?: string;
}

export class AuthController {
  constructor(private readonly auth: AuthService, private readonly throttle: LoginThrottle) {}

  signup = async (ctx: AppContext): Promise<void> => {
    const { email, name, password } = ctx.request.body as Credentials;
    if (!email || !name || !password || password.length < 8) {
      ctx.status = 400;
      ctx.body = { error: 'email, name and a password of 8 characters or more are required' };
      return;
    }
    try {
      const mechanic = await this.auth.signup(email.toLowerCase(), name, password);
      ctx.status = 201;
      ctx.body = { mechanic };
    } catch (err) {
      if (err instanceof AuthError) {
        ctx.status = err.status;
        ctx.body = { error: err.message };
        return;
      }
      throw err;
    }
  };

  login = async (ctx: AppContext): Promise<void> => {
    const { email, password } = ctx.request.body as Credentials;
    if (!email || !password) {
      ctx.status = 400;
      ctx.body = { error: 'email and password are required' };
      return;
    }
    const key = email.toLowerCase();
    if (this.throttle.isLocked(key)) {
      ctx.status = 429;
      ctx.body = { error: 'too many wrong passwords, try again in 15 minutes' };
      return;
    }
    const result = await this.auth.login(key, password);
    if (!result) {
      this.throttle.recordFailure(key);
      ctx.status = 401;
      ctx.body = { error: 'wrong e-mail or password' };
      return;
    }
    this.throttle.reset(key);
    ctx.cookies.set(SESSION_COOKIE, result.sessionId, { httpOnly: true, sameSite: 'lax' });
    ctx.body = { mechanic: result.mechanic };
  };

  me = async (ctx: AppContext): Promise<void> => {
    ctx.body = { mechanic: ctx.state.mechanic };
  };

  logout = async (ctx: AppContext): Promise<void> => {
    if (ctx.state.sessionId) this.auth.logout(ctx.state.sessionId);
    ctx.cookies.set(SESSION_COOKIE, null);
    ctx.body = { ok: true };
  };
}
