import 'reflect-metadata';
import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import fastifySession from '@fastify/session';
import fastifyStatic from '@fastify/static';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdirSync } from 'fs';
import { AppModule } from './app.module';
import { UPLOAD_DIR } from './common/paths';
import './common/session-singer';

async function bootstrap() {
  mkdirSync(UPLOAD_DIR, { recursive: true });

  const app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter({ trustProxy: true }));
  const config = app.get(ConfigService);

  await app.register(fastifyCookie);
  await app.register(fastifySession, {
    cookieName: 'choir.sid',
    secret: config.get<string>('SESSION_SECRET', 'st-cecilia-choir-development-secret-0123456789'),
    saveUninitialized: false,
    cookie: { httpOnly: true, secure: false, sameSite: 'lax', maxAge: 12 * 60 * 60 * 1000 },
  });
  await app.register(fastifyMultipart, { limits: { fileSize: 20 * 1024 * 1024, files: 1 } });
  // Only for reply.sendFile in the score downloads: nothing is served from the folder by itself.
  await app.register(fastifyStatic, { root: UPLOAD_DIR, serve: false });
  app.enableShutdownHooks();

  const port = config.get<number>('PORT', 3000);
  await app.listen(port, '0.0.0.0');
  console.log(`st cecilia choir listening on ${port}`);
}

bootstrap();
