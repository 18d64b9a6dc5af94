import { Sequelize, DataTypes } from 'sequelize';
import config from './config.js';

export const sequelize = new Sequelize(config.databaseUrl, { dialect: 'postgres', logging: false });
// The show listings and "my tickets" page read from the standby so the primary is kept for sales.
export const replica = new Sequelize(config.replicaUrl, { dialect: 'postgres', logging: false });

export const User = sequelize.define('User', {
  email: { type: DataTypes.STRING, allowNull: false, unique: true },
  name: { type: DataTypes.STRING, allowNull: false },
  passwordHash: { type: DataTypes.STRING, allowNull: false },
  role: { type: DataTypes.STRING, allowNull: false, defaultValue: 'patron' },
}, { tableName: 'users', underscored: true });

export const Show = sequelize.define('Show', {
  title: { type: DataTypes.STRING, allowNull: false },
  startsAt: { type: DataTypes.DATE, allowNull: false },
  priceCents: { type: DataTypes.INTEGER, allowNull: false },
  seats: { type: DataTypes.INTEGER, allowNull: false },
  seatsSold: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
  poster: { type: DataTypes.STRING },
  posterType: { type: DataTypes.STRING },
  status: { type: DataTypes.STRING, allowNull: false, defaultValue: 'on-sale' },
}, { tableName: 'shows', underscored: true });

export const Order = sequelize.define('Order', {
  userId: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'users', key: 'id' } },
  showId: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'shows', key: 'id' } },
  ticketType: { type: DataTypes.STRING, allowNull: false },
  quantity: { type: DataTypes.INTEGER, allowNull: false },
  totalCents: { type: DataTypes.INTEGER, allowNull: false },
}, { tableName: 'orders', underscored: true });

const SEED = [
  { id: 1, title: 'The Seagull', startsAt: new Date('2027-04-09T19:30:00Z'), priceCents: 2400, seats: 120 },
  { id: 2, title: 'Twelfth Night', startsAt: new Date('2027-04-16T19:00:00Z'), priceCents: 2800, seats: 4 },
];

export async function initDatabase() {
  await sequelize.authenticate();
  await sequelize.sync();
  await Show.bulkCreate(SEED, { ignoreDuplicates: true });
  await sequelize.query("SELECT setval('shows_id_seq', (SELECT max(id) FROM shows))");
}
