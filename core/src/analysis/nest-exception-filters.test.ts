import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// A NestJS exception filter runs on every request whose handler throws what it catches (round 25 of
// test/real-world: a single-page app's fallback filter reading index.html for every unknown path).
// Nest knows a filter by its `@Catch(…)`, and filters are often built with `new` for
// `app.useGlobalFilters`, without `@Injectable()`. A class that only implements the interface, with
// neither decorator, is no filter Nest runs.

afterAll(removeAnalysedProjects);

const files = {
  'main.ts': `import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { ErrorPageFilter } from './error-page.filter';

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.useGlobalFilters(new ErrorPageFilter());
  await app.listen(3000);
}
bootstrap();
`,
  'app.module.ts': `import { Module } from '@nestjs/common';
@Module({})
export class AppModule {}
`,
  'error-page.filter.ts': `import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import { readFileSync } from 'node:fs';

@Catch(HttpException)
export class ErrorPageFilter implements ExceptionFilter {
  catch(exception: HttpException, host: ArgumentsHost) {
    const page = readFileSync('views/error.html', 'utf8');
    host.switchToHttp().getResponse().status(exception.getStatus()).send(page);
  }
}

export class DraftFilter implements ExceptionFilter {
  catch(exception: HttpException, host: ArgumentsHost) {
    host.switchToHttp().getResponse().send(readFileSync('views/draft.html', 'utf8'));
  }
}
`,
};

const EXPECTED = [
  '7:18 no-blocking-request-work: `readFileSync` blocks the event loop on exception filter ErrorPageFilter (every request it guards, error-page.filter.ts:6): while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.',
];

describe('a NestJS exception filter known by @Catch', () => {
  it('is on every request it catches; a class that only implements the interface is not (typed)', () => {
    expect(typed(files, 'error-page.filter.ts', ['no-blocking-request-work'])).toEqual(EXPECTED);
  });
  it('the same untyped', () => {
    expect(untyped(files, 'error-page.filter.ts', ['no-blocking-request-work'])).toEqual(EXPECTED);
  });
});
