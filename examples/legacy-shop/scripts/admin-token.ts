// CLI: prints a back-office JWT for the admin routes (PUT /products/:id, /admin/*).
import jwt from 'jsonwebtoken';
import { config } from '../src/config.js';

console.log(jwt.sign({ sub: 'admin', role: 'admin' }, config.jwtSecret, { expiresIn: '12h' }));
