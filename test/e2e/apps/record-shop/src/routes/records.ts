import { Router } from 'express';
import * as records from '../controllers/recordController';
import { alertLimiter } from '../middleware/alertLimiter';
import { requireStaff } from '../middleware/auth';
import { coverUpload } from '../services/coverService';

export const recordRoutes = Router();

recordRoutes.get('/', records.list);
recordRoutes.post('/', requireStaff, records.create);
recordRoutes.get('/:id', records.show);
recordRoutes.patch('/:id', requireStaff, records.reprice);
recordRoutes.post('/:id/cover', requireStaff, coverUpload.single('cover'), records.uploadCover);
recordRoutes.post('/:id/alerts', alertLimiter, records.alert);
