export const PRIMARY = 'PRIMARY_POOL';
export const REPLICA = 'REPLICA_POOL';
