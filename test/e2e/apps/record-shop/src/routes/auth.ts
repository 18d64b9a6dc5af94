import { Router } from 'express';
import * as auth from '../controllers/authController';
import { requireLogin } from '../middleware/auth';

export const authRoutes = Router();

authRoutes.post('/signup', auth.signup);
authRoutes.post('/login', auth.login);
authRoutes.get('/me', requireLogin, auth.me);
authRoutes.post('/logout', requireLogin, auth.logout);
