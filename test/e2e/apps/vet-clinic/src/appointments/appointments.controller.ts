import { Body, Controller, Get, Param, ParseIntPipe, Post, UseGuards } from '@nestjs/common';
import { CurrentUser } from '../common/current-user.decorator';
import { Roles } from '../common/roles.decorator';
import { SessionGuard } from '../common/session.guard';
import { SessionUser } from '../common/session-user';
import { AppointmentsService } from './appointments.service';
import { BookAppointmentDto } from './dto/book-appointment.dto';
import { StatsService } from './stats.service';

@Controller()
@UseGuards(SessionGuard)
export class AppointmentsController {
  constructor(
    private readonly appointments: AppointmentsService,
    private readonly stats: StatsService,
  ) {}

  @Post('appointments')
  book(@CurrentUser() user: SessionUser, @Body() dto: BookAppointmentDto) {
    return this.appointments.book(user, dto);
  }

  @Get('vets/:id/day/:day')
  @Roles('staff')
  async daySheet(@Param('id', ParseIntPipe) vetId: number, @Param('day') day: string) {
    return { appointments: await this.appointments.dayOf(vetId, day) };
  }

  @Get('stats/today')
  @Roles('staff')
  today() {
    return this.stats.today();
  }
}
