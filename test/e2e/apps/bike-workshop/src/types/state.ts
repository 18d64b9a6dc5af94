import type { ParameterizedContext } from 'koa';
import type Router from '@koa/router';

export interface Mechanic {
  id: number;
  email: string;
  name: string;
}

export interface AppState {
  mechanic?: Mechanic;
  sessionId?: string;
  requestStartedAt: number;
}

export type AppContext = ParameterizedContext<AppState, Router.RouterParamContext<AppState>>;
