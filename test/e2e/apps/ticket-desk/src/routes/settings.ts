import { Router } from 'express';
import { getSettings, putSetting } from '../controllers/settingsController';
import { requireAdmin, requireAgent } from '../middleware/requireAgent';

const router = Router();

router.get('/', requireAgent, getSettings);
router.put('/:key', requireAgent, requireAdmin, putSetting);

export default router;
