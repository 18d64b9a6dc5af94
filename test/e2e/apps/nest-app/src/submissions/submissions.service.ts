import { Injectable } from '@nestjs/common';

export interface Submission {
  courseId: number;
  userId: number;
  filename: string;
  originalName: string;
  size: number;
}

@Injectable()
export class SubmissionsService {
  private readonly byCourse = new Map<number, Submission[]>();

  add(submission: Submission) {
    const list = this.byCourse.get(submission.courseId) ?? [];
    list.push(submission);
    this.byCourse.set(submission.courseId, list);
    return submission;
  }

  forCourse(courseId: number) {
    return this.byCourse.get(courseId) ?? [];
  }
}
