import { Router } from 'express';
import { downloadAttachment } from '../controllers/attachmentController';
import { requireAgent } from '../middleware/requireAgent';

const router = Router();

router.get('/:id', requireAgent, downloadAttachment);

export default router;
