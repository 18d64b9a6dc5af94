/** Client names that mean "a read replica" in real services: `replica`, `reader`, `readDb`, `readPool`, `dbReplica`, … */
export const DEFAULT_REPLICA_CLIENTS = [
  '/^(?:reader|readers|read[Oo]nly(?:Db|DB|Pool|Client|Knex|Database)?|read(?:Db|DB|Pool|Pools|Client|Clients|Knex|Conn|Connection|Database|Sql)|ro(?:Db|DB|Pool|Client))$/',
  '/^(?:[a-z][A-Za-z0-9]*)?(?:Replica|replica)(?:s|_?\\d+_?)?(?:Db|DB|Pool|Pools|Client|Clients|Knex|Conn|Connection|Database|_?pool|_?db)?$/',
];
/** Client names that mean "the primary": `primary`, `writer`, `writeDb`, `db`, `pool`, `knex`, … */
export const DEFAULT_PRIMARY_CLIENTS = [
  '/^(?:primary|writer|master|main|write(?:Db|DB|Pool|Client|Knex)|rw(?:Db|Pool)|(?:primary|master|main)(?:Db|DB|Pool|Client|Knex|Conn|Connection|Database))$/',
  '/^(?:db|pool|knex|pg|sql|database|conn|connection)$/',
];
