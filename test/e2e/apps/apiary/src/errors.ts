import { GraphQLError } from 'graphql';

export const unauthenticated = (message = 'You must be logged in') =>
  new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });

export const forbidden = (message: string) => new GraphQLError(message, { extensions: { code: 'FORBIDDEN', http: { status: 403 } } });

export const notFound = (message: string) => new GraphQLError(message, { extensions: { code: 'NOT_FOUND', http: { status: 404 } } });

export const conflict = (message: string) => new GraphQLError(message, { extensions: { code: 'CONFLICT', http: { status: 409 } } });

export const badInput = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });

export const tooManyRequests = (message: string) =>
  new GraphQLError(message, { extensions: { code: 'TOO_MANY_REQUESTS', http: { status: 429 } } });
