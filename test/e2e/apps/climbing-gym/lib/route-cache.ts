import { db } from './db';

export interface Route {
  id: number;
  name: string;
  grade: string;
  wall: string;
  setter_id: number;
  photo: string | null;
}

// Route cards are read far more often than they change.
const routeCache = new Map<number, Route>();

export async function getRoute(id: number): Promise<Route | undefined> {
  const cached = routeCache.get(id);
  if (cached) return cached;
  const { rows } = await db.query<Route>('SELECT id, name, grade, wall, setter_id, photo FROM routes WHERE id = $1', [id]);
  if (rows[0]) routeCache.set(id, rows[0]);
  return rows[0];
}

export function forgetRoute(id: number) {
  routeCache.delete(id);
}

export function clearRouteCache() {
  routeCache.clear();
}
