import { EventEmitter } from 'node:events';

// The kitchen screen listens on this; order routes emit on it.
export const kitchen = new EventEmitter();
kitchen.setMaxListeners(50);

// Last few tickets so a screen that reconnects can catch up.
const recent = [];

export function announce(type, order) {
  const event = { type, orderId: order.id, pickupNumber: order.pickup_number, productId: order.product_id, quantity: order.quantity, at: new Date().toISOString() };
  recent.push(event);
  if (recent.length > 50) recent.shift();
  kitchen.emit('ticket', event);
}

export function recentTickets() {
  return recent.slice();
}
