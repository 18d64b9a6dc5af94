import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MailModule } from '../mail/mail.module';
import { PetsModule } from '../pets/pets.module';
import { VetsModule } from '../vets/vets.module';
import { Appointment } from './appointment.entity';
import { AppointmentsController } from './appointments.controller';
import { AppointmentsService } from './appointments.service';
import { RemindersJob } from './reminders.job';
import { StatsService } from './stats.service';
import { WaitingRoomGateway } from './waiting-room.gateway';

@Module({
  imports: [TypeOrmModule.forFeature([Appointment]), TypeOrmModule.forFeature([Appointment], 'replica'), PetsModule, VetsModule, MailModule],
  controllers: [AppointmentsController],
  providers: [AppointmentsService, StatsService, RemindersJob, WaitingRoomGateway],
})
export class AppointmentsModule {}
