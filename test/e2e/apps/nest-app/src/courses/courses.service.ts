import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Course } from './course.entity';
import { Enrolment } from './enrolment.entity';

@Injectable()
export class CoursesService {
  private readonly views: Record<number, number> = {};

  constructor(
    @InjectRepository(Course) private readonly courses: Repository<Course>,
    @InjectRepository(Enrolment) private readonly enrolments: Repository<Enrolment>,
  ) {}

  create(teacherId: number, data: Partial<Course>) {
    return this.courses.save(this.courses.create({ title: data.title, description: data.description ?? '', seats: data.seats ?? 20, teacherId }));
  }

  findAll() {
    return this.courses.find({ order: { id: 'ASC' } });
  }

  async findOne(id: number) {
    const course = await this.courses.findOne({ where: { id } });
    if (!course) throw new NotFoundException(`Course ${id} not found`);
    this.views[id] = (this.views[id] ?? 0) + 1;
    return { ...course, views: this.views[id] };
  }

  async enrol(courseId: number, userId: number) {
    const course = await this.courses.findOne({ where: { id: courseId } });
    if (!course) throw new NotFoundException(`Course ${courseId} not found`);
    const already = await this.enrolments.findOne({ where: { courseId, userId } });
    if (already) throw new ConflictException('Already enrolled');
    await this.enrolments.save(this.enrolments.create({ courseId, userId }));
    const taken = await this.enrolments.count({ where: { courseId } });
    return { courseId, enrolled: true, seatsLeft: course.seats - taken };
  }

  async isEnrolled(courseId: number, userId: number) {
    return (await this.enrolments.count({ where: { courseId, userId } })) > 0;
  }

  popular() {
    return Object.entries(this.views)
      .map(([id, views]) => ({ courseId: Number(id), views }))
      .sort((a, b) => b.views - a.views);
  }
}
