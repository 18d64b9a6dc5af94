import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@apollo/server/express4';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { makeExecutableSchema } from '@graphql-tools/schema';
import cookieParser from 'cookie-parser';
import cors from 'cors';
import express from 'express';
import fs from 'fs';
import http from 'http';
import path from 'path';
import { useServer } from 'graphql-ws/lib/use/ws';
import { WebSocketServer } from 'ws';
import { buildContext, type ApiaryContext } from './context';
import { createLoaders } from './loaders';
import { resolvers } from './resolvers';
import { photos } from './routes/photos';
import { services } from './services';

const typeDefs = fs.readFileSync(path.join(__dirname, '..', 'schema', 'apiary.graphql'), 'utf8');

export async function createServer() {
  const app = express();
  const httpServer = http.createServer(app);
  const schema = makeExecutableSchema({ typeDefs, resolvers });

  // Subscriptions share the HTTP server: graphql-ws on the same path as queries.
  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql' });
  const wsCleanup = useServer(
    {
      schema,
      context: async (ctx): Promise<ApiaryContext> => {
        const token = typeof ctx.connectionParams?.authToken === 'string' ? ctx.connectionParams.authToken : undefined;
        return { token, viewer: services.auth.sessionFor(token), services, loaders: createLoaders() };
      },
    },
    wsServer,
  );

  const apollo = new ApolloServer<ApiaryContext>({
    schema,
    includeStacktraceInErrorResponses: false,
    // Apollo Server 5's default: a variable of the wrong type is the client's mistake.
    status400ForVariableCoercionErrors: true,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      {
        async serverWillStart() {
          return {
            async drainServer() {
              await wsCleanup.dispose();
            },
          };
        },
      },
    ],
  });
  await apollo.start();

  app.get('/healthz', (_req, res) => res.json({ ok: true }));
  app.use(cookieParser());
  app.use(photos);
  app.use('/graphql', cors<cors.CorsRequest>({ credentials: true, origin: true }), express.json(), expressMiddleware(apollo, { context: buildContext }));

  return httpServer;
}
