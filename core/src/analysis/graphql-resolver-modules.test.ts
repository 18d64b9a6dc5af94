import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// A GraphQL API written the way TypeScript shops split it (the apiary app of test/e2e/apps): one
// module per type in `resolvers/`, joined as `{ Query, Mutation }`, the services made once in a
// container object, and a login that counts wrong passwords in a Map it reads into a local first.

afterAll(removeAnalysedProjects);

const services = `import { randomUUID } from 'crypto';

class AuthService {
  private readonly sessions = new Map<string, { email: string }>();
  private readonly failedLogins = new Map<string, number>();

  login(email: string, password: string): string {
    const failures = this.failedLogins.get(email) ?? 0;
    if (failures >= 3) throw new Error('locked');
    if (password !== 'secret') {
      this.failedLogins.set(email, failures + 1);
      throw new Error('wrong password');
    }
    this.failedLogins.delete(email);
    const token = randomUUID();
    this.sessions.set(token, { email });
    return token;
  }
}

class Drafts {
  private readonly pending = new Map<string, Promise<string>>();

  save(id: string, write: () => Promise<string>): Promise<string> {
    if (!this.pending.has(id)) {
      const saving = write();
      this.pending.set(id, saving);
      return saving.finally(() => this.pending.delete(id));
    }
    return this.pending.get(id)!;
  }
}

export const services = { auth: new AuthService(), drafts: new Drafts() };
`;

const files = {
  'src/server.ts': `import { ApolloServer } from '@apollo/server';
import { resolvers } from './resolvers';

export const server = new ApolloServer({ typeDefs: 'type Query { me: String }', resolvers });
`,
  'src/resolvers/index.ts': `import { Query } from './Query';
import { Mutation } from './Mutation';

export const resolvers = { Query, Mutation };
`,
  'src/resolvers/Query.ts': `export const Query = {
  me: () => 'me',
};
`,
  'src/resolvers/drafts.ts': `import { services } from '../services';

export const draftMutations = {
  saveDraft: (_parent: unknown, args: { id: string }) => services.drafts.save(args.id, async () => args.id),
};
`,
  'src/resolvers/Mutation.ts': `import { services } from '../services';
import { draftMutations } from './drafts';

export const Mutation = {
  login(_parent: unknown, args: { email: string; password: string }) {
    return services.auth.login(args.email, args.password);
  },
  ...draftMutations,
};
`,
  'src/services.ts': services,
};

const expected = [
  '4:20 no-in-memory-session: `sessions` holds per-user state in this process; it is written by GraphQL mutation login (src/resolvers/Mutation.ts:5). A second instance will not see it.',
  '5:20 no-in-memory-counter: `failedLogins` counts in this process; it is changed by GraphQL mutation login (src/resolvers/Mutation.ts:5). Each instance keeps its own count, so totals and limits are wrong once there is more than one.',
  '22:20 no-in-process-lock: `pending` guards work only within this process; it is taken by GraphQL mutation saveDraft (src/resolvers/drafts.ts:4). A request on another instance does not see it and runs the same work at the same time.',
];

describe('resolvers split one module per type, joined as `{ Query, Mutation }`', () => {
  it('untyped: every field of an imported type and of the objects spread into it is an operation; the services made in a container object are singletons', () => {
    expect(untyped(files, 'src/services.ts', ['no-in-memory-session', 'no-in-memory-counter', 'no-in-process-lock'])).toEqual(expected);
  });

  it('typed: the same', () => {
    expect(typed(files, 'src/services.ts', ['no-in-memory-session', 'no-in-memory-counter', 'no-in-process-lock'])).toEqual(expected);
  });

  it('a type name bound to no object (a NestJS decorator of the same name) adds no operation', () => {
    const nest = {
      ...files,
      'src/resolvers/index.ts': `import { Query, Mutation } from '@nestjs/graphql';

export const decorators = { Query, Mutation };
`,
    };
    expect(untyped(nest, 'src/services.ts', ['no-in-memory-session', 'no-in-memory-counter'])).toEqual([]);
    expect(typed(nest, 'src/services.ts', ['no-in-memory-session', 'no-in-memory-counter'])).toEqual([]);
  });
});
