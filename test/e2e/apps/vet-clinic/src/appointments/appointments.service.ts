import { BadRequestException, ConflictException, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { Mutex } from 'async-mutex';
import { Repository } from 'typeorm';
import { SessionUser } from '../common/session-user';
import { SPECIES, Species } from '../common/species';
import { ClinicConfig } from '../config/clinic.config';
import { MailService } from '../mail/mail.service';
import { PetsService } from '../pets/pets.service';
import { VetsService } from '../vets/vets.service';
import { Appointment } from './appointment.entity';
import { BookAppointmentDto } from './dto/book-appointment.dto';
import { StatsService } from './stats.service';
import { WaitingRoomGateway } from './waiting-room.gateway';

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

@Injectable()
export class AppointmentsService {
  // One booking at a time, so two people cannot take the same slot.
  private readonly bookingLock = new Mutex();
  private readonly clinic: ClinicConfig;

  constructor(
    @InjectRepository(Appointment) private readonly appointments: Repository<Appointment>,
    @InjectRepository(Appointment, 'replica') private readonly replicaAppointments: Repository<Appointment>,
    private readonly pets: PetsService,
    private readonly vets: VetsService,
    private readonly mail: MailService,
    private readonly stats: StatsService,
    private readonly waitingRoom: WaitingRoomGateway,
    config: ConfigService,
  ) {
    this.clinic = config.get<ClinicConfig>('clinic');
  }

  private checkOpeningHours(time: string) {
    const at = minutes(time);
    if (at < minutes(this.clinic.opens) || at >= minutes(this.clinic.closes) || (at - minutes(this.clinic.opens)) % this.clinic.slotMinutes !== 0) {
      throw new BadRequestException(`we see patients every ${this.clinic.slotMinutes} minutes from ${this.clinic.opens} to ${this.clinic.closes}`);
    }
  }

  async book(user: SessionUser, dto: BookAppointmentDto) {
    this.checkOpeningHours(dto.time);
    const pet = await this.pets.findVisible(user, dto.petId);
    const vet = await this.vets.findOne(dto.vetId);

    const appointment = await this.bookingLock.runExclusive(async () => {
      const taken = await this.appointments.findOne({ where: { vetId: vet.id, day: dto.day, time: dto.time } });
      if (taken) {
        throw new ConflictException(`${vet.name} is busy at ${dto.time} on ${dto.day}`);
      }
      return this.appointments.save(
        this.appointments.create({ petId: pet.id, vetId: vet.id, day: dto.day, time: dto.time, reason: dto.reason }),
      );
    });
    this.stats.recordBooking(vet.feeCents);

    const visit = SPECIES[pet.species as Species];
    await this.mail.send(
      user.email,
      `${pet.name} sees ${vet.name} on ${dto.day}`,
      `${pet.name} is booked with ${vet.name} on ${dto.day} at ${dto.time} (${visit.visitMinutes} minutes). Reason: ${dto.reason}`,
    );
    this.waitingRoom.announce(vet.id, 'booked', { day: dto.day, time: dto.time, pet: pet.name });

    const vetDay = await this.dayOf(vet.id, dto.day);
    return { appointment, vetDay };
  }

  // The vet's day sheet comes off the standby.
  dayOf(vetId: number, day: string): Promise<Appointment[]> {
    return this.replicaAppointments.find({ where: { vetId, day }, order: { time: 'ASC' } });
  }
}
