import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

@Entity('enrolments')
@Unique(['courseId', 'userId'])
export class Enrolment {
  @PrimaryGeneratedColumn()
  id: number;

  @Column()
  courseId: number;

  @Column()
  userId: number;

  @CreateDateColumn()
  enrolledAt: Date;
}
