import { Router } from 'express';
import { login, logout, me, signup } from '../controllers/authController';
import { loginLimiter } from '../middleware/loginLimiter';
import { requireAgent } from '../middleware/requireAgent';

const router = Router();

router.post('/signup', signup);
router.post('/login', loginLimiter, login);
router.get('/me', requireAgent, me);
router.post('/logout', requireAgent, logout);

export default router;
