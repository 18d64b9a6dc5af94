import Router from '@koa/router';
import type { AppState } from '../types/state';
import { authController } from '../container';
import { requireMechanic } from '../middleware/session';

export const authRouter = new Router<AppState>({ prefix: '/api/auth' });

authRouter.post('/signup', authController.signup);
authRouter.post('/login', authController.login);
authRouter.get('/me', requireMechanic, authController.me);
authRouter.post('/logout', requireMechanic, authController.logout);
