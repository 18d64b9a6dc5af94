import { Router } from 'express';
import * as auth from '../controllers/authController';
import { requireAuth } from '../middleware/auth';
import { loginLimiter } from '../middleware/rateLimit';

const router = Router();

router.post('/register', auth.register);
router.post('/login', loginLimiter, auth.login);
router.post('/logout', requireAuth, auth.logout);

export default router;
