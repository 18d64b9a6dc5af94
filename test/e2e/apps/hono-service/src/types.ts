export interface User {
  id: number;
  email: string;
  displayName: string;
}

export type AppEnv = { Variables: { user: User } };
