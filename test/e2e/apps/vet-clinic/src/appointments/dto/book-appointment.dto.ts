import { IsInt, IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';

export class BookAppointmentDto {
  @IsInt()
  petId: number;

  @IsInt()
  vetId: number;

  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'day must look like 2027-03-01' })
  day: string;

  @Matches(/^\d{2}:\d{2}$/, { message: 'time must look like 09:20' })
  time: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  reason: string;
}
