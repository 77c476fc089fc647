// libnats (NATS and JetStream client), imported only by AdmitMesh (Nats/*.swift).
#include <nats/nats.h>
