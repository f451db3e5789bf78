// The host channel on x86_64, which `xenlite policy load` talks to: COM2 (0x2f8). The hardware
// domain owns this UART (the hypervisor forwards its port accesses); polled, 115200 8N1, FIFOs on.
using XenLite.Boot;

namespace XenLite.Guest
{
    public static class HostLine
    {
        const ushort Port = 0x2F8;
        const byte DataReady = 0x01, TransmitEmpty = 0x20;

        /// <summary>Programs the UART; null, or why there is no channel.</summary>
        public static string Init()
        {
            Cpu.OutB(Port + 1, 0x00);   // no interrupts
            Cpu.OutB(Port + 3, 0x80);   // DLAB: divisor follows
            Cpu.OutB(Port + 0, 0x01);   // 115200
            Cpu.OutB(Port + 1, 0x00);
            Cpu.OutB(Port + 3, 0x03);   // 8N1
            Cpu.OutB(Port + 2, 0x07);   // FIFOs on and cleared
            Cpu.OutB(Port + 4, 0x03);   // DTR | RTS
            return null;
        }

        public static bool HasByte() => (Cpu.InB(Port + 5) & DataReady) != 0;

        public static byte Read() => Cpu.InB(Port);

        public static void Write(byte b)
        {
            for (int spin = 0; spin < 100000 && (Cpu.InB(Port + 5) & TransmitEmpty) == 0; spin++) { }
            Cpu.OutB(Port, b);
        }
    }
}
