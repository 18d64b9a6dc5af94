import { Body, Controller, ForbiddenException, Get, Param, ParseIntPipe, Post, Req, UseGuards } from '@nestjs/common';
import { AuthGuard } from '../auth/auth.guard';
import { CoursesService } from './courses.service';

@Controller('courses')
export class CoursesController {
  constructor(private readonly coursesService: CoursesService) {}

  @Get()
  findAll() {
    return this.coursesService.findAll();
  }

  @Get('popular')
  popular() {
    return this.coursesService.popular();
  }

  @Get(':id')
  findOne(@Param('id', ParseIntPipe) id: number) {
    return this.coursesService.findOne(id);
  }

  @UseGuards(AuthGuard)
  @Post()
  create(@Req() req, @Body() body: { title: string; description?: string; seats?: number }) {
    if (req.user.role !== 'teacher') throw new ForbiddenException('Only teachers can create courses');
    return this.coursesService.create(req.user.id, body);
  }

  @UseGuards(AuthGuard)
  @Post(':id/enrol')
  enrol(@Req() req, @Param('id', ParseIntPipe) id: number) {
    return this.coursesService.enrol(id, req.user.id);
  }
}
