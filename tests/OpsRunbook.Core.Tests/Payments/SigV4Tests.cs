using OpsRunbook.Core.Payments;

namespace OpsRunbook.Core.Tests.Payments;

public class SigV4Tests
{
    // AWS's published Signature Version 4 example (General Reference, "Examples of the complete Signature Version 4
    // signing process"): IAM ListUsers, 2015-08-30T12:36:00Z, AKIDEXAMPLE. The expected signature is AWS's, not ours.
    [Fact]
    public void Matches_the_signature_in_AWS_documentation()
    {
        var headers = new Dictionary<string, string>
        {
            ["content-type"] = "application/x-www-form-urlencoded; charset=utf-8",
            ["host"] = "iam.amazonaws.com",
            ["x-amz-date"] = "20150830T123600Z",
        };
        var auth = SigV4.Authorization("GET", new Uri("https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08"), headers, [],
            "us-east-1", "iam", "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", new DateTimeOffset(2015, 8, 30, 12, 36, 0, TimeSpan.Zero));
        Assert.Equal("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, " +
                     "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7", auth);
    }
}
