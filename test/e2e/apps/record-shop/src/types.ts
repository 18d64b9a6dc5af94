import 'express-session';

declare module 'express-session' {
  interface SessionData {
    customerId: number;
    staff: boolean;
  }
}

export class HttpError extends Error {
  constructor(public status: number, message: string) {
    super(message);
  }
}
