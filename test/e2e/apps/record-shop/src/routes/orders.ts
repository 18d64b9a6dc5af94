import { Router } from 'express';
import * as orders from '../controllers/orderController';
import { requireLogin, requireStaff } from '../middleware/auth';

export const orderRoutes = Router();

orderRoutes.post('/', requireLogin, orders.place);
orderRoutes.get('/mine', requireLogin, orders.mine);
orderRoutes.get('/today', requireStaff, orders.today);
