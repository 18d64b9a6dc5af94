import Router from '@koa/router';
import type { AppState } from '../types/state';
import { photoController, repairController } from '../container';
import { requireMechanic } from '../middleware/session';
import { photoUpload } from '../middleware/upload';

export const repairsRouter = new Router<AppState>({ prefix: '/api' });

// Public: the booking form on the website.
repairsRouter.get('/services', repairController.services);
repairsRouter.post('/repairs', repairController.book);

// The workshop.
repairsRouter.get('/repairs', requireMechanic, repairController.list);
repairsRouter.get('/repairs/:id', requireMechanic, repairController.show);
repairsRouter.post('/repairs/:id/notes', requireMechanic, repairController.addNote);
repairsRouter.patch('/repairs/:id', requireMechanic, repairController.setStatus);
repairsRouter.post('/repairs/:id/photos', requireMechanic, photoUpload.single('photo'), photoController.upload);
repairsRouter.get('/photos/:id', requireMechanic, photoController.download);
repairsRouter.get('/board', requireMechanic, repairController.board);
