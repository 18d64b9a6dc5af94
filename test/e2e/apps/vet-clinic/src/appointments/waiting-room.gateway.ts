import { ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import { Namespace, Socket } from 'socket.io';

// The screens in each consulting room follow their vet's day.
@WebSocketGateway({ namespace: '/waiting-room' })
export class WaitingRoomGateway {
  @WebSocketServer()
  server: Namespace;

  @SubscribeMessage('follow')
  follow(@ConnectedSocket() client: Socket, @MessageBody() vetId: number) {
    client.join(`vet:${vetId}`);
    return { following: vetId };
  }

  announce(vetId: number, event: string, payload: unknown) {
    this.server.to(`vet:${vetId}`).emit(event, payload);
  }
}
