import { Controller, ForbiddenException, Get, Param, ParseIntPipe, Req, Res, UseGuards } from '@nestjs/common';
import { Response } from 'express';
import { AuthGuard } from '../auth/auth.guard';
import { CoursesService } from '../courses/courses.service';
import { CertificatesService } from './certificates.service';

@Controller('certificates')
@UseGuards(AuthGuard)
export class CertificatesController {
  constructor(
    private readonly certificates: CertificatesService,
    private readonly courses: CoursesService,
  ) {}

  @Get(':courseId')
  async download(@Req() req, @Param('courseId', ParseIntPipe) courseId: number, @Res() res: Response) {
    if (!(await this.courses.isEnrolled(courseId, req.user.id))) throw new ForbiddenException('Not enrolled');
    const course = await this.courses.findOne(courseId);
    const path = await this.certificates.render(req.user.displayName, course.title, `${courseId}-${req.user.id}.pdf`);
    res.download(path, `certificate-${courseId}.pdf`);
  }
}
