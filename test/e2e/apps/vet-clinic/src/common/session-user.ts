import 'express-session';

export interface SessionUser {
  id: number;
  email: string;
  name: string;
  role: 'owner' | 'staff';
}

declare module 'express-session' {
  interface SessionData {
    user: SessionUser;
  }
}
