import { EventEmitter } from 'events';

export interface BoardEvent {
  type: 'repair.booked' | 'repair.status' | 'repair.note';
  repairId: number;
  status?: string;
}

// The workshop board on the wall listens to this.
class BoardEvents extends EventEmitter {
  publish(event: BoardEvent): void {
    this.emit('board', event);
  }
}

export const boardEvents = new BoardEvents();
boardEvents.setMaxListeners(100);
