import type { NextFunction, Request, Response } from 'express';
import * as authService from '../services/authService';
import * as orderService from '../services/orderService';

export async function place(req: Request, res: Response, next: NextFunction) {
  try {
    const customer = await authService.findCustomer(req.session.customerId!);
    if (!customer) {
      res.status(401).json({ error: 'log in first' });
      return;
    }
    const { order, history } = await orderService.placeOrder(customer, Number(req.body?.recordId), Number(req.body?.quantity ?? 1));
    res.status(201).json({ order, orders: history });
  } catch (err) {
    next(err);
  }
}

export async function mine(req: Request, res: Response, next: NextFunction) {
  try {
    res.json({ orders: await orderService.ordersOf(req.session.customerId!) });
  } catch (err) {
    next(err);
  }
}

export function today(_req: Request, res: Response) {
  res.json({ ordersToday: orderService.todayCount() });
}
