import { BadRequestException, Controller, Get, Param, ParseIntPipe, Post, Req, Res, UploadedFile, UseGuards, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { diskStorage } from 'multer';
import { extname, join } from 'path';
import { Response } from 'express';
import { AuthGuard } from '../auth/auth.guard';
import { SubmissionsService } from './submissions.service';

export const SUBMISSIONS_DIR = join(process.env.UPLOAD_DIR || join(process.cwd(), 'uploads'), 'submissions');

@Controller('courses/:courseId/submissions')
@UseGuards(AuthGuard)
export class SubmissionsController {
  constructor(private readonly submissions: SubmissionsService) {}

  @Post()
  @UseInterceptors(
    FileInterceptor('file', {
      storage: diskStorage({
        destination: SUBMISSIONS_DIR,
        filename: (req: any, file, cb) => cb(null, `${req.params.courseId}-${req.user.id}-${Date.now()}${extname(file.originalname)}`),
      }),
      limits: { fileSize: 5 * 1024 * 1024 },
    }),
  )
  upload(@Req() req, @Param('courseId', ParseIntPipe) courseId: number, @UploadedFile() file: Express.Multer.File) {
    if (!file) throw new BadRequestException('file is required');
    return this.submissions.add({ courseId, userId: req.user.id, filename: file.filename, originalName: file.originalname, size: file.size });
  }

  @Get()
  list(@Param('courseId', ParseIntPipe) courseId: number) {
    return this.submissions.forCourse(courseId);
  }

  @Get(':filename')
  download(@Param('filename') filename: string, @Res() res: Response) {
    return res.sendFile(filename, { root: SUBMISSIONS_DIR }, (err) => {
      if (err && !res.headersSent) res.status(404).json({ statusCode: 404, message: 'Submission not found' });
    });
  }
}
