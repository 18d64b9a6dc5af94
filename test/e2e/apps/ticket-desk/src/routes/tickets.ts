import { Router } from 'express';
import { uploadAttachment } from '../controllers/attachmentController';
import { changeStatus, claimNext, listTickets, openTicket, replyToTicket, showTicket } from '../controllers/ticketController';
import { requireAgent } from '../middleware/requireAgent';

const router = Router();

// The public form posts here; everything else is for agents.
router.post('/', openTicket);
router.get('/', requireAgent, listTickets);
router.post('/claim', requireAgent, claimNext);
router.get('/:id', requireAgent, showTicket);
router.post('/:id/replies', requireAgent, replyToTicket);
router.post('/:id/attachments', requireAgent, uploadAttachment);
router.patch('/:id', requireAgent, changeStatus);

export default router;
