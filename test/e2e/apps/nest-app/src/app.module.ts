import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppController } from './app.controller';
import { AuthModule } from './auth/auth.module';
import { CoursesModule } from './courses/courses.module';
import { SubmissionsModule } from './submissions/submissions.module';
import { CertificatesModule } from './certificates/certificates.module';
import { User } from './auth/user.entity';
import { Course } from './courses/course.entity';
import { Enrolment } from './courses/enrolment.entity';

@Module({
  imports: [
    ThrottlerModule.forRoot([{ ttl: 60000, limit: 100 }]),
    TypeOrmModule.forRoot({
      type: 'postgres',
      replication: {
        master: { url: process.env.DATABASE_URL },
        slaves: [{ url: process.env.DATABASE_REPLICA_URL || process.env.DATABASE_URL }],
      },
      entities: [User, Course, Enrolment],
      synchronize: true,
    }),
    AuthModule,
    CoursesModule,
    SubmissionsModule,
    CertificatesModule,
  ],
  controllers: [AppController],
  providers: [{ provide: APP_GUARD, useClass: ThrottlerGuard }],
})
export class AppModule {}
