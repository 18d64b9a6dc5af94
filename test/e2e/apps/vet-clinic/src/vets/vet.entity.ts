import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('vets')
export class Vet {
  @PrimaryGeneratedColumn()
  id: number;

  @Column()
  name: string;

  @Column()
  specialty: string;

  @Column({ name: 'fee_cents', type: 'integer' })
  feeCents: number;
}
