import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { ScheduleModule } from '@nestjs/schedule';
import { AppController } from './app.controller';
import { AppointmentsModule } from './appointments/appointments.module';
import { AuthModule } from './auth/auth.module';
import clinicConfig from './config/clinic.config';
import { DatabaseModule } from './database/database.module';
import { PetsModule } from './pets/pets.module';
import { VetsModule } from './vets/vets.module';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, load: [clinicConfig] }),
    ScheduleModule.forRoot(),
    DatabaseModule,
    AuthModule,
    VetsModule,
    PetsModule,
    AppointmentsModule,
  ],
  controllers: [AppController],
})
export class AppModule {}
