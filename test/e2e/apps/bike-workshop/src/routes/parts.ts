import Router from '@koa/router';
import type { AppState } from '../types/state';
import { partsController } from '../container';
import { requireMechanic } from '../middleware/session';

export const partsRouter = new Router<AppState>({ prefix: '/api/parts' });

partsRouter.use(requireMechanic);
partsRouter.get('/', partsController.list);
partsRouter.get('/:id', partsController.show);
partsRouter.put('/:id/price', partsController.updatePrice);
