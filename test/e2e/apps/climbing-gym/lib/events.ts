import { EventEmitter } from 'events';
import type { Route } from './route-cache';

// New routes go to everyone watching the "new on the wall" screen.
const globalForEvents = globalThis as unknown as { wallEvents?: EventEmitter };
export const wallEvents = globalForEvents.wallEvents ?? (globalForEvents.wallEvents = new EventEmitter());
wallEvents.setMaxListeners(100);

export function announceRoute(route: Route) {
  wallEvents.emit('route', route);
}
