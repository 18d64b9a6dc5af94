import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('appointments')
export class Appointment {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'pet_id' })
  petId: number;

  @Column({ name: 'vet_id' })
  vetId: number;

  // 'YYYY-MM-DD'
  @Column({ type: 'date' })
  day: string;

  // 'HH:MM'
  @Column()
  time: string;

  @Column()
  reason: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
