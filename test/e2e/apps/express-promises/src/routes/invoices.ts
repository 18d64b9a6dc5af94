import { Router } from 'express';
import * as invoices from '../controllers/invoiceController';
import { requireAuth } from '../middleware/auth';
import { countUsage } from '../middleware/usage';
import { upload } from '../middleware/upload';

const router = Router();

router.use(requireAuth, countUsage);
router.get('/', invoices.list);
router.post('/', invoices.create);
router.get('/:id', invoices.show);
router.post('/:id/send', invoices.send);
router.get('/:id/pdf', invoices.downloadPdf);
router.post('/:id/attachments', upload.single('file'), invoices.addAttachment);
router.get('/:id/attachments/:name', invoices.getAttachment);

export default router;
